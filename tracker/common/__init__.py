"""The ground floor every stage may use: where the bundled data lives (``resources``), great-circle
distance (``distance``), atomic writes (``atomic``) and text safe for a terminal (``messages``)."""

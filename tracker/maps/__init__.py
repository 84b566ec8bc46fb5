"""Maps: layered, offline, self-contained Leaflet maps of deployments and places."""

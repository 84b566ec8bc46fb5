"""Link: which place each group of equipment is at -> ``Deployment`` rows.

``linker.link_deployments`` ties each ``EquipmentMention`` to one of the article's ``Toponym``s
(``place_chooser`` weighs every place, ``place_areas`` narrows a country to the part the text
names) and folds restatements into one row per group.
"""

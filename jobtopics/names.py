"""Category names with a fixed meaning, shared by labelling, assignment and the report."""

UNCATEGORIZED = "Uncategorized"  # HDBSCAN outliers (topic -1)
NO_TITLE = "No job title"  # people whose position is empty or unusable
OUTLIER = -1  # HDBSCAN label of titles that belong to no topic

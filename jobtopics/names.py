"""Category names with a fixed meaning, shared by labelling, assignment and the report."""

UNCATEGORIZED = "Uncategorized"  # HDBSCAN outliers (topic -1)
NO_TITLE = "No job title"  # people whose position is empty or unusable
OUTLIER = -1  # HDBSCAN label of titles that belong to no topic
OTHER_CATEGORIES = "Other categories"  # the report's yearly chart pools the small categories under this name

# Names the report gives a meaning of its own: a category named so (members titled "Uncategorized", an LLM's
# proposal) would be drawn, counted and coloured as that bucket.
RESERVED_NAMES = frozenset(name.casefold() for name in (UNCATEGORIZED, NO_TITLE, OTHER_CATEGORIES))


def is_reserved(name: str) -> bool:
    return " ".join(name.split()).casefold() in RESERVED_NAMES

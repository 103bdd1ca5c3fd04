"""The batch side of syndet: read a folder of articles, compare them, and write reports and clusters.

`walk` finds files safely, `readers` turns them into articles, `scanner` runs the engine over them,
`clusters` groups reused articles, `report` writes JSON, JSONL or CSV, `progress` talks on stderr.
"""

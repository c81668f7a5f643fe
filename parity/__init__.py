"""Parity: does a target answer like another one (AWS, most usefully)?

`record` runs a fixed scenario set on one target and keeps every exchange as a normalised
snapshot (`snapshot`, `normalise`); `compare` replays those exchanges on another target
(`replay`) and diffs each pair (`compare`); `importers` make snapshots of traffic recorded
elsewhere (HAR files, botocore debug logs); `parity_report` folds the verdicts into the run's
report sections.
"""

"""Case-finding without Django: read an extract, evaluate every patient with the rules, sort them into gap groups.

``extract`` reads the CSV columns, ``pipeline`` streams patients through the rules on worker processes,
``gaps``/``groups`` decide who is listed and why, ``synth`` writes synthetic populations. The Django app
``apps.casefinding`` stores runs and statuses and serves the worklist.
"""

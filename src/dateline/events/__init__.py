"""Events: who did what to whom, where and when, coded in PLOVER, with factuality and source.

lexicon.py      the language's event resources (triggers, frames, cues), read once
arguments.py    a trigger's actors, targets and place, from the dependency parse
factuality.py   asserted / reported / possible / future / negated, and the source
quotes.py       direct quotes and their speakers
stage.py        the pipeline stage that puts them together
"""

"""Regression over fixtures: a face on top of the pipeline, never imported by it.

A fixture is a folder holding the input files and ``expect.json`` (the format of
FIXTURES.md, version 1, whose structure is ``expect.schema.json``). ``fixture`` reads it,
``schema`` validates it, ``expectations`` holds one class per kind of expectation (each reads,
writes, describes and checks itself), ``evaluate`` checks a ``Report`` against a fixture,
``runner`` builds one report per fixture and evaluates it;
``align regress`` (``align.cli.regress``) and the pytest plugin (``pytest_plugin``)
are the two ways in.

Only the file name lives here: pytest loads the plugin in every run of a project that
has align installed, so importing this package must cost nothing.
"""

EXPECT = "expect.json"  # the file that makes a folder a fixture

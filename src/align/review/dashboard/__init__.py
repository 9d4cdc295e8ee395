"""The reviewer's dashboard: a Textual face on the review store.

``app.py`` holds the state (the filtered pairs, the decisions in effect, the selected
pair) and the keys; ``widgets.py`` the parts of the screen, each rendering from
reactive attributes bound to that state; ``screens.py`` the dialogs and the help;
``text.py`` the styled text they all show; ``app.tcss`` the layout.
"""

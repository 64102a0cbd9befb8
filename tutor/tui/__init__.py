"""The Textual app (`tutor` in a terminal): screens over the study services, no domain logic.

Nothing is imported here so that `import tutor.tui` costs nothing until the app is opened.
"""

"""`newsbrief quotes` and `newsbrief summarize`."""

from bot.cli._pending import pending

COMMANDS = [
    pending("quotes", "Print the direct quotations in text files", "quote extraction"),
    pending("summarize", "Print a short summary of a text file", "quote extraction"),
]

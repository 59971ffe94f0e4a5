"""The rules, in plain Python: when something is due, what each setting may be, which
tip comes next, what a period of check-ins says. Imports only the standard library and
content types — no Telegram, no database — so tests call it directly."""

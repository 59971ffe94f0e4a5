"""Developer tools, not part of the product: the fake Telegram Bot API server, the
browser sandbox and the terminal try-out. They drive the real bot from outside; the
product (`bot/`, `scheduler/`) never imports them, and the wheel does not ship them."""

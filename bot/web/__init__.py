"""The web application: provider webhooks, the web chat page, the sender loop."""

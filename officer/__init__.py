"""The officer console: accounts, the handoff queue, cases and risk management."""

"""TellSafe's conversation engine, channels and command line."""

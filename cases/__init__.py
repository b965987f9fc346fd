"""The case record: storage models, sealed fields, risk, references and export."""

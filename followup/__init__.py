"""Follow-up check-ins: scheduling inside safe hours and dispatching when due."""

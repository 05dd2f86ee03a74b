"""Event rules: what is worth an alert (new, changed, conflict, health), as pure functions over history."""

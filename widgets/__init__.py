"""Qt views of AnRan. They receive plain data and emit signals; they never touch the store."""

"""Cases: creating them, finding them within a user's schools, their clocks."""

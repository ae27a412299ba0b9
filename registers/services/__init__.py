"""Every write of the registers. Views, admin actions and tasks call these; the rules live here."""

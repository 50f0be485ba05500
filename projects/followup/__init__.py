"""Follow-up of funded projects: team, outcomes, progress and final reports, reminders and digests."""

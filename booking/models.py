# Models arrive with the Booking issue.

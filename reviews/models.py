# Models arrive with the Reviews issue.

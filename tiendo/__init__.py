"""tiendo: progress tracking of Congress resolutions for Vietnamese local government."""

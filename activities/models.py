"""Activities at the 新时代文明实践站, volunteers, commendations and notices."""

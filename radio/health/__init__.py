"""Health check for load balancers and installers."""

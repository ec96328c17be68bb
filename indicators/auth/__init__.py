"""Accounts: users and roles, password hashing and checks, login throttling, and who may write
what (PermissionDenied is raised here, not only in a page). Imports the store; nothing above it.
"""

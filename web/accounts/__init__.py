"""Accounts: sign-in lockout (django-axes) and two-factor sign-in (django-otp)."""

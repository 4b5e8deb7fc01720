"""What the rest of the system can listen to about accounts, without the accounts app importing it."""

from django.dispatch import Signal

# Sent inside the transaction that proves a user owns their e-mail address (the confirmation link, or a password
# reset link that confirms the account too). kwargs: user.
email_confirmed = Signal()

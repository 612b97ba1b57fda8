"""URL rules of sign-up, log-in and the participant's account."""

from flask import Blueprint

from brique.users import account_controllers as acc
from brique.users import account_data, account_security
from brique.users import controllers as ctl

GET_POST = ["GET", "POST"]

auth = Blueprint("auth", __name__)
account = Blueprint("account", __name__, url_prefix="/account")

auth.add_url_rule("/signup", "signup", ctl.signup, methods=GET_POST)
auth.add_url_rule("/login", "login", ctl.login, methods=GET_POST)
auth.add_url_rule("/logout", "logout", ctl.logout, methods=["POST"])
auth.add_url_rule("/confirm/<token>", "confirm", ctl.confirm)
auth.add_url_rule("/confirm", "resend_confirmation", ctl.resend_confirmation, methods=GET_POST)
auth.add_url_rule("/password/forgot", "forgot_password", ctl.forgot_password, methods=GET_POST)
auth.add_url_rule("/password/reset/<token>", "reset_password", ctl.reset_password, methods=GET_POST)

account.add_url_rule("/", "profile", acc.profile, methods=GET_POST)
account.add_url_rule("/notifications", "notifications", acc.notifications, methods=GET_POST)
account.add_url_rule("/verifications", "verifications", acc.verifications)
account.add_url_rule("/verify/<handler>", "verify", acc.verify, methods=GET_POST)
account.add_url_rule("/email", "email", account_security.email, methods=GET_POST)
account.add_url_rule("/email/confirm/<token>", "confirm_email", account_security.confirm_email)
account.add_url_rule("/password", "password", account_security.password, methods=GET_POST)
account.add_url_rule("/data", "data", account_data.data)
account.add_url_rule("/data/download", "download", account_data.download)
account.add_url_rule("/delete", "delete", account_data.delete_account, methods=GET_POST)

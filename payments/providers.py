"""The payment provider adapter (线上缴费): the only part of fees that talks to the outside.

``PAYMENT_PROVIDER`` names the class. Development and tests use ``SimulatorProvider``: it
hands out a payment page of the portal itself and signs the provider's callback with a key
derived from the portal's secret, exactly as a real provider signs its notifications; a real
adapter implements the same three methods against the bank's or platform's API."""

import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.urls import reverse
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class Confirmation:
    """What a verified provider callback says: which order, how much, paid or not."""

    provider_ref: str
    amount: Decimal
    paid: bool


class CallbackRejected(Exception):
    """The callback's signature or body is not the provider's."""


class SimulatorProvider:
    """A payment provider simulated inside the portal (development, tests, demo)."""

    def start(self, *, notice_number: str, amount: Decimal) -> tuple[str, str]:
        """Open an order: (the provider's reference, the page the payer goes to)."""
        ref = f"SIM{secrets.token_hex(8).upper()}"
        return ref, reverse("payment-simulator", args=[ref])

    def callback_body(self, *, provider_ref: str, amount: Decimal, paid: bool = True) -> dict:
        """The provider's signed notification of a payment (what the simulator page posts)."""
        payload = {"provider_ref": provider_ref, "amount": str(amount), "paid": paid}
        return {**payload, "signature": self._sign(payload)}

    def verify(self, body: dict) -> Confirmation:
        payload = {"provider_ref": str(body.get("provider_ref", "")), "amount": str(body.get("amount", "")),
                   "paid": bool(body.get("paid"))}
        # As bytes: compare_digest refuses str with non-ASCII characters (a forged signature may have them).
        if not hmac.compare_digest(self._sign(payload).encode(), str(body.get("signature", "")).encode()):
            raise CallbackRejected("bad signature")
        try:
            amount = Decimal(payload["amount"])
        except ArithmeticError:
            raise CallbackRejected("bad amount") from None
        return Confirmation(provider_ref=payload["provider_ref"], amount=amount, paid=payload["paid"])

    def refund(self, *, provider_ref: str, amount: Decimal) -> str:
        """Ask the provider to pay ``amount`` back; its refund reference."""
        return f"RF{provider_ref}"

    @staticmethod
    def _sign(payload: dict) -> str:
        key = hashlib.sha256(b"payment-simulator:" + settings.SECRET_KEY.encode()).digest()
        message = json.dumps(payload, sort_keys=True, separators=(",", ":")).encode()
        return hmac.new(key, message, hashlib.sha256).hexdigest()


def payment_provider():
    return import_string(getattr(settings, "PAYMENT_PROVIDER", "payments.providers.SimulatorProvider"))()

"""REST endpoints of 一个窗口收费 (new, beside SPEC §6): record a payment at the window, open an
online payment, and the payment provider's signed callback."""

from drf_spectacular.utils import extend_schema
from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from approvals import fees, permissions
from approvals.api import ApplicationActionApi
from portal.errors import ValidationFailed


class PaymentRecordInput(serializers.Serializer):
    method = serializers.ChoiceField(choices=["cash", "card"])
    amount = serializers.DecimalField(max_digits=10, decimal_places=2)


class PaymentRecordApi(ApplicationActionApi):
    """POST /api/applications/{id}/payment/: the clerk records the fee paid at the window
    (``method`` cash or card, ``amount`` exactly the published fee; any other amount is a 400
    ``fee_not_published``) and the receipt is issued."""

    serializer_class = PaymentRecordInput

    def act(self, request, application, data):
        fees.application_payment_record(actor=request.user, application_id=application.pk,
                                        method=data["method"], amount=data["amount"])


class OnlinePaymentOrderOutput(serializers.Serializer):
    provider_ref = serializers.CharField()
    pay_url = serializers.CharField()


class PaymentCallbackInput(serializers.Serializer):
    provider_ref = serializers.CharField()
    amount = serializers.CharField()
    paid = serializers.BooleanField()
    signature = serializers.CharField()


class PaymentCallbackOutput(serializers.Serializer):
    number = serializers.CharField()
    status = serializers.CharField()


class PaymentOnlineApi(APIView):
    """POST /api/applications/{id}/payment/online/: open an online payment with the provider;
    answers the provider's reference and the page the payer goes to."""

    @extend_schema(request=None, responses=OnlinePaymentOrderOutput)
    def post(self, request, pk: int):
        application = permissions.application_for_user(request.user, pk)
        notice, url = fees.application_payment_online(actor=request.user, application_id=application.pk)
        return Response({"provider_ref": notice.provider_ref, "pay_url": url})


class PaymentCallbackApi(APIView):
    """POST /api/payments/callback/: the payment provider's signed notification
    {provider_ref, amount, paid, signature}; a forged one is a 403, a repeat changes nothing."""

    permission_classes = [AllowAny]
    authentication_classes = []

    @extend_schema(request=PaymentCallbackInput, responses=PaymentCallbackOutput)
    def post(self, request):
        # The signature covers the fields as sent, so they are not re-serialized; only a body
        # that is not an object at all is refused here (a list would otherwise be a 500).
        if not isinstance(request.data, dict):
            raise ValidationFailed(_("The notification must be a JSON object."))
        notice = fees.payment_provider_callback(body=dict(request.data))
        return Response({"number": notice.number, "status": notice.status})

"""Which SpinePrompt account an EHR user is: the ``fhirUser`` of a SMART launch from a configured EHR."""

from django.conf import settings
from django.db import models


class SmartIdentity(models.Model):
    """An EHR user (``fhirUser``, e.g. "Practitioner/123", as the EHR's id_token names them) linked to a SpinePrompt
    account by a practice admin (``manage.py smart_link`` or the admin site). A launch by an unlinked user is
    refused: the EHR says who the user is, SpinePrompt decides what they may do (their role)."""

    issuer = models.CharField(max_length=255, help_text="The EHR's FHIR base URL, as in SMART_ISSUERS.")
    fhir_user = models.CharField(max_length=255, help_text='The id_token\'s fhirUser, e.g. "Practitioner/123".')
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="smart_identities")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["issuer", "fhir_user"], name="smart_identity_unique")]
        verbose_name_plural = "SMART identities"

    def __str__(self) -> str:
        return f"{self.fhir_user} at {self.issuer} -> {self.user}"

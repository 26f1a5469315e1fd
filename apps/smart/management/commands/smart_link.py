"""Link an EHR user (the fhirUser of its SMART launches) to a SpinePrompt account, or list and remove links."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from apps.smart.config import issuer
from apps.smart.models import SmartIdentity


class Command(BaseCommand):
    help = (
        "Link an EHR user to a SpinePrompt account: smart_link --issuer <FHIR base URL> --fhir-user Practitioner/123 "
        "--username dr.jones. --list shows the links; --remove removes one."
    )

    def add_arguments(self, parser):
        parser.add_argument("--issuer", help="the EHR's FHIR base URL, as configured in SMART_ISSUERS")
        parser.add_argument("--fhir-user", help='the user as the EHR names them, e.g. "Practitioner/123"')
        parser.add_argument("--username", help="the SpinePrompt account")
        parser.add_argument("--list", action="store_true", help="list the links")
        parser.add_argument("--remove", action="store_true", help="remove the link for --issuer and --fhir-user")

    def handle(self, *args, **opts):
        if opts["list"]:
            for link in SmartIdentity.objects.select_related("user").order_by("issuer", "fhir_user"):
                self.stdout.write(f"{link.issuer}\t{link.fhir_user}\t{link.user.username}")
            return
        ehr = issuer(opts["issuer"] or "")
        if ehr is None:
            raise CommandError("--issuer must be an EHR configured in SMART_ISSUERS")
        if not opts["fhir_user"]:
            raise CommandError("--fhir-user is required")
        if opts["remove"]:
            deleted, _ = SmartIdentity.objects.filter(issuer=ehr.iss, fhir_user=opts["fhir_user"]).delete()
            self.stdout.write(f"removed {deleted} link(s)")
            return
        user = get_user_model().objects.filter(username=opts["username"] or "").first()
        if user is None:
            raise CommandError("--username must name an existing SpinePrompt account")
        SmartIdentity.objects.update_or_create(issuer=ehr.iss, fhir_user=opts["fhir_user"], defaults={"user": user})
        self.stdout.write(f"linked {opts['fhir_user']} at {ehr.iss} to {user.username} ({user.get_role_display()})")

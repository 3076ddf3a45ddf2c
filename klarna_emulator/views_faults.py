"""HTTP face of fault injection (see faults.py). Test-only; mounted with the emulator."""

import json

from django.conf import settings
from django.http import Http404, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from . import faults
from .models import EmulatorFault


@csrf_exempt
def faults_view(request):
    if not settings.KLARNA_EMULATOR_FAULTS:
        raise Http404("Fault injection is off (DEBUG=false).")
    if request.method == "GET":
        return JsonResponse([faults.describe(f) for f in EmulatorFault.objects.order_by("id")], safe=False)
    if request.method == "DELETE":
        faults.clear()
        return HttpResponse(status=204)
    if request.method != "POST":
        return JsonResponse({"error": "method not allowed"}, status=405)
    try:
        body = json.loads(request.body or b"{}")
        fault = faults.inject(
            body["path"],
            method=body.get("method", "*"),
            times=int(body.get("times", 1)),
            kind=body.get("kind", EmulatorFault.KIND_STATUS),
            status=body.get("status"),
            error_code=body.get("error_code", "INTERNAL_SERVER_ERROR"),
            error_messages=body.get("error_messages"),
            body=body.get("body"),
            delay_seconds=str(body.get("delay_seconds", 0)),
        )
    except (ValueError, KeyError, TypeError) as error:
        return JsonResponse({"error": f"bad fault: {error}"}, status=400)
    return JsonResponse(faults.describe(fault), status=201)

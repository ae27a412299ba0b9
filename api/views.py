from django.http import JsonResponse


def summary(request):
    return JsonResponse({})

from django.db import models


def upsert[M: models.Model](model: type[M], defaults: dict, **lookup) -> M:
    """Create the row, or update it only where a value differs: loading reference data twice
    leaves no trace, not even a history row."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        return model.objects.create(**lookup, **defaults)
    changed = [name for name, value in defaults.items() if _value(obj, name) != _pk(value)]
    if changed:
        for name in changed:
            setattr(obj, name, defaults[name])
        obj.save()
    return obj


def _value(obj: models.Model, name: str):
    field = obj._meta.get_field(name)
    return getattr(obj, field.attname)


def _pk(value):
    return value.pk if isinstance(value, models.Model) else value

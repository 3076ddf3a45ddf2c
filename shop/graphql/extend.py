"""Fields an app above contributes to a type defined below it (Magento's ``extend type``).

Graphene builds the schema from each type's ``_meta.fields`` when ``graphene.Schema`` is made,
so the root schema (``shop.schema``, the wiring) adds them before building it: the type's own
module never imports the app above.
"""

import graphene


def extend_type(object_type: type[graphene.ObjectType], **fields: graphene.Field) -> None:
    for name, field in fields.items():
        if name in object_type._meta.fields:
            raise ValueError(f"{object_type.__name__}.{name} is already defined")
        object_type._meta.fields[name] = field

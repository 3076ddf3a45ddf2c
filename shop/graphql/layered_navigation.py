"""Magento's layered navigation types: ``Products.aggregations`` (root: the domain's
``shop.layered_navigation.Aggregation``)."""

import graphene


class AggregationOptionInterface(graphene.Interface):
    count = graphene.Int(description="The number of items that match the aggregation option.")
    label = graphene.String(description="The display label for an aggregation option.")
    value = graphene.String(
        required=True, description="The internal ID that represents the value of the option."
    )


class AggregationOption(graphene.ObjectType):
    class Meta:
        interfaces = (AggregationOptionInterface,)


class Aggregation(graphene.ObjectType):
    attribute_code = graphene.String(required=True, description="Attribute code of the aggregation group.")
    count = graphene.Int(description="The number of options in the aggregation group.")
    label = graphene.String(description="The aggregation display name.")
    options = graphene.List(AggregationOption, description="Array of options for the aggregation.")
    position = graphene.Int(
        description="The relative position of the attribute in a layered navigation block."
    )


class CategoryAggregationFilterInput(graphene.InputObjectType):
    includeDirectChildrenOnly = graphene.Boolean(
        description="Only the filtered categories' direct children in the category aggregation."
    )


class AggregationsFilterInput(graphene.InputObjectType):
    category = graphene.Field(CategoryAggregationFilterInput)

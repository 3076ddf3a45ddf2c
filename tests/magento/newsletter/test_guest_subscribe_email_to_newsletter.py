"""Port of Magento 2.4 dev/tests/api-functional/testsuite/Magento/GraphQl/Newsletter/Guest/SubscribeEmailToNewsletterTest.php."""

from shop.models import NewsletterGuestSubscriber


def query(email):
    return (
        """
mutation {
  subscribeEmailToNewsletter(
    email: "%s"
  ) {
    status
  }
}"""
        % email
    )


def test_add_email_into_newsletter_subscription(gql):
    response = gql.data(query("guest@example.com"))
    assert response["subscribeEmailToNewsletter"]["status"] == "SUBSCRIBED"
    assert NewsletterGuestSubscriber.objects.filter(email="guest@example.com").exists()


def test_newsletter_subscription_with_incorrect_email_format(gql):
    error = gql.error(query("guest.example.com"))
    assert error["message"] == "Enter a valid email address."
    assert error["extensions"] == {"category": "graphql-input"}


def test_newsletter_subscription_with_disallowed_guest_subscription(gql, settings):
    settings.NEWSLETTER_ALLOW_GUEST_SUBSCRIBE = False  # newsletter/subscription/allow_guest_subscribe 0
    error = gql.error(query("guest@example.com"))
    assert (
        error["message"]
        == "Guests can not subscribe to the newsletter. You must create an account to subscribe."
    )
    assert not NewsletterGuestSubscriber.objects.exists()


def test_newsletter_subscription_with_already_subscribed_email(gql):
    NewsletterGuestSubscriber.objects.create(email="guest@example.com")  # guest_subscriber.php
    error = gql.error(query("guest@example.com"))
    assert error["message"] == "This email address is already subscribed."

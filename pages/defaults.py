"""The text the project ships for each editable page (Markdown), used until an operator
edits it in Django admin: the data migration copies it into the table, and a page whose row
is missing shows it. Facts here follow the code as it is: the free-cancellation hours and
the request expiry are each provider's own (24 and 48 hours unless they change them),
nothing is paid through the site, and there are no fees."""

from dataclasses import dataclass

from .models import PageSlug


@dataclass(frozen=True)
class DefaultPage:
    title: str
    description: str
    body: str


HOW_IT_WORKS = """\
## For customers

1. **Find a worker.** Search by what you need and your city. Every listing belongs to a
   provider whose identity and trade documents our team has checked.
2. **Pick a time.** You see the provider's real free times. Choose one, give the address
   and anything the worker should know.
3. **Wait for the answer.** The provider accepts or declines your request, usually within
   a day. You get an email and a notification either way. A request nobody answers
   expires after 48 hours (or sooner if its start time comes first).
4. **Get the job done.** You are reminded the day before. Afterwards you can review the job,
   which helps the next customer choose.

You can cancel or move a booking from its page. Free cancellation ends a set number of
hours before the start (24 unless the provider chose otherwise); the booking page shows the
exact deadline.

## For providers

1. **Sign up as a provider** and fill in your business profile: your name, what you do and
   the cities you serve.
2. **Add your services** with a price (fixed or by the hour) and how long they take.
3. **Set your working hours**, days off, the notice you need and the time you keep between
   jobs.
4. **Apply for verification** with an identity document and a trade document. Once an admin
   approves, your services show in search.
5. **Answer requests** from your dashboard, start and complete jobs, and reply to reviews.

Listing is free: there are no fees or commissions today.
"""

HELP = """\
## Booking

**How do I book?** Open a service, pick a day and a free time, give the address, check
the summary and send the request. The provider then accepts or declines it.

**Why is my booking "pending"?** Every booking starts as a request. It is confirmed when the
provider accepts it. A request nobody answers expires after 48 hours, or when its start
time comes, whichever is first. You are told by email and in your notifications.

**Can I add the job to my calendar?** Yes: every booking page has an "Add to calendar" file
(.ics), and the email confirming your request carries it too.

## Cancelling and moving

**Can I cancel?** A request can be cancelled at any time before the provider answers. A
confirmed job can be cancelled free of charge until the free-cancellation deadline, which is
a number of hours before the start set by the provider (24 unless they chose otherwise). The
booking page shows the exact date and time. After that, please contact the provider.

**Can I move a booking?** Yes, to another free time, from the booking page, until the same
deadline. Moving a confirmed job sends it back to the provider for a new answer.

## Reviews

**Who can review?** Only the customer of a completed job, once per booking. You can change
your review for 14 days. The provider may answer once, publicly.

**Are reviews moderated?** Our team hides abusive reviews and keeps a record of why.

## Verification

**What does "verified" mean?** The provider sent an identity document and a trade
document, and a member of our team checked them. Only verified providers appear in search.

## Payments

**How do I pay?** Nothing is paid through the site today. The price on the booking is the
estimate you and the provider agreed on (for hourly work, the hourly rate times the time
you chose). You pay the provider directly, as you arrange with them.

**Are there fees?** No. Customers and providers pay nothing to use the site.

## Your account and your data

**How do I get a copy of my data?** From your profile: "Download my data" gives you a JSON
file with everything we hold about you.

**How do I delete my account?** From your profile: "Delete my account". What other people
still need (a provider's record of a job done, a review others read) is kept without your
name or contact details; everything else is deleted. See the [privacy notice](/privacy/).

**Still stuck?** [Write to us](/contact/).
"""

ABOUT = """\
Marketplace connects people who need a job done at home with local workers they can trust:
plumbers, electricians, cleaners, cooks and more.

We keep it simple. Customers see real free times and clear prices, and can cancel for free
until a deadline they know in advance. Providers run their business from one dashboard:
requests, their calendar, their services and their reviews.

Every provider in search has been checked by a person on our team, and every review comes
from a customer whose job was completed.

Questions or ideas? [Contact us](/contact/).
"""

TERMS = """\
These terms apply to everyone who uses Marketplace. By creating an account you accept them.

## What Marketplace does

Marketplace lets customers request jobs from independent providers. The contract for a job
is between the customer and the provider; Marketplace is not a party to it and does not
employ the providers.

## Accounts

Give true details and keep your password to yourself. One person, one account. You may
delete your account at any time from your profile.

## Bookings

A booking is a request until the provider accepts it. Customers may cancel free of charge
until the free-cancellation deadline shown on the booking; after it, contact the provider.
Providers should answer requests promptly and keep to the jobs they accept; a provider who
cancels a confirmed job must tell the customer why.

## Prices and payment

Prices are set by providers. The total shown on a booking is an estimate agreed when it
was requested. Nothing is paid through the site and there are no fees today.

## Reviews

Reviews must be about the job, honest and polite. We hide reviews that are abusive,
off-topic or reveal private details.

## Verification

We check the documents providers send, but we cannot guarantee the quality of any job.

## Changes

We may change these terms; the date of the last change is shown on this page.
"""

PRIVACY = """\
This notice says what we store about you, why, for how long, and how to get a copy or
delete it.

## What we store and why

- **Your account:** email address, name, phone number (if given), password (only as a
  secure hash), your role, and your preferences. To let you log in and to contact you
  about your bookings.
- **Your profile:** address, city, time zone, language and photo, if you give them. To fill
  in bookings and show times in your zone.
- **Bookings:** the service, the time, the address and notes of the job, the price agreed
  and every change of status. So that both sides know what was agreed.
- **Reviews:** what you wrote about a job. Shown publicly with your first name and initial.
- **Providers:** the business profile, services, working hours and days off, and
  verification applications with their documents. Documents are stored privately and are
  seen only by you and our admins.
- **Notifications and emails** we sent you, and **messages** you send us with the contact
  form.

We do not sell your data and we use no advertising or tracking cookies. The only cookies
keep you logged in and protect forms.

## How long

As long as your account exists. When you delete it, we delete your profile, your
notifications, your messages to us, your verification documents and your login. What
others still need is kept without your name or contact details: a provider keeps the record
of jobs done for them (date, service and price, with no address or notes), a customer keeps
the record of jobs a provider did, and reviews stay, signed "A customer".

## Your copy and your choices

- **Download your data:** your profile has a "Download my data" link that gives you a JSON
  file with everything above that is about you.
- **Delete your account:** your profile has "Delete my account". You will be asked for your
  password. Upcoming bookings must be cancelled or finished first.
- **Questions:** [contact us](/contact/).
"""

BECOME_A_PROVIDER = """\
## What you get

- **Customers near you** who find you by what you do and where you work.
- **A calendar that books itself:** customers only see the times you are free, with the
  notice and breaks you set. Your jobs can appear in your own calendar app.
- **One dashboard** for requests, upcoming jobs, your services and your reviews.
- **No fees.** Listing and bookings are free today, and you are paid directly by your
  customers.

## What verification needs

To appear in search, send us:

- an **identity document** (passport, ID card or driving licence), and
- a **trade document** (a licence, a certificate or proof of insurance),

as PDF, JPEG or PNG files, with a few words about your work. A member of our team checks
them, usually within two working days, and you get an email with the answer.

## How to start

Sign up as a provider, fill in your business profile, add a service, set your working
hours and apply for verification. Your dashboard shows what is left.
"""

CONTACT = """\
Questions about a booking, your account or the site? Write to us here and we will answer by
email, usually within one working day. For anything about a particular job, the quickest
answer is often from the provider or customer: their details are on the booking page.
"""

DEFAULT_PAGES = {
    PageSlug.HOW_IT_WORKS: DefaultPage(
        "How it works",
        "How booking a local worker works on Marketplace, for customers and for providers.",
        HOW_IT_WORKS,
    ),
    PageSlug.HELP: DefaultPage(
        "Help and FAQ",
        "Answers about booking, cancelling, reviews, verification, payments and your account.",
        HELP,
    ),
    PageSlug.ABOUT: DefaultPage(
        "About Marketplace",
        "Marketplace connects people with checked, local workers for jobs at home.",
        ABOUT,
    ),
    PageSlug.TERMS: DefaultPage(
        "Terms of use",
        "The rules for customers and providers using Marketplace.",
        TERMS,
    ),
    PageSlug.PRIVACY: DefaultPage(
        "Privacy notice",
        "What Marketplace stores about you, why, for how long, and how to get or delete it.",
        PRIVACY,
    ),
    PageSlug.BECOME_A_PROVIDER: DefaultPage(
        "Become a provider",
        "Find customers near you, with a calendar that books itself. Free to join.",
        BECOME_A_PROVIDER,
    ),
    PageSlug.CONTACT: DefaultPage(
        "Contact us",
        "Write to the Marketplace team about a booking, your account or the site.",
        CONTACT,
    ),
}

"""GET /api/categories/: the active category tree, served from the cache."""

import pytest

from .factories import CategoryFactory

pytestmark = pytest.mark.django_db

CATEGORIES = "/api/categories/"


def test_categories_are_the_active_tree_nested_in_display_order(client):
    electrical = CategoryFactory(name="Electrical", icon="💡", description="Sparks.", ordering=2)
    wiring = CategoryFactory(name="Wiring", parent=electrical)
    rewiring = CategoryFactory(name="Rewiring", parent=wiring)
    plumbing = CategoryFactory(name="Plumbing", ordering=1)
    hidden = CategoryFactory(name="Retired", is_active=False)
    CategoryFactory(name="Under retired", parent=hidden)

    response = client.get(CATEGORIES)

    assert response.status_code == 200
    assert response.json() == [
        {
            "id": plumbing.pk,
            "name": "Plumbing",
            "slug": plumbing.slug,
            "icon": "",
            "description": "",
            "children": [],
        },
        {
            "id": electrical.pk,
            "name": "Electrical",
            "slug": electrical.slug,
            "icon": "💡",
            "description": "Sparks.",
            "children": [
                {
                    "id": wiring.pk,
                    "name": "Wiring",
                    "slug": wiring.slug,
                    "icon": "",
                    "description": "",
                    "children": [
                        {
                            "id": rewiring.pk,
                            "name": "Rewiring",
                            "slug": rewiring.slug,
                            "icon": "",
                            "description": "",
                            "children": [],
                        }
                    ],
                }
            ],
        },
    ]


def test_categories_come_from_the_cache(client, django_assert_num_queries):
    CategoryFactory(name="Plumbing")
    client.get(CATEGORIES)

    with django_assert_num_queries(0):
        response = client.get(CATEGORIES)

    assert [category["name"] for category in response.json()] == ["Plumbing"]

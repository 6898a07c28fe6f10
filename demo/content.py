"""The words and numbers demo data is made of: cities, the category tree, people, offers."""

CITIES = [
    ("Austin", "TX", "America/Chicago"),
    ("Denver", "CO", "America/Denver"),
    ("Seattle", "WA", "America/Los_Angeles"),
    ("Chicago", "IL", "America/Chicago"),
    ("Boston", "MA", "America/New_York"),
    ("Atlanta", "GA", "America/New_York"),
    ("Portland", "OR", "America/Los_Angeles"),
    ("Phoenix", "AZ", "America/Phoenix"),
]

# (name, icon, description, [(child name, [(title, short, price range, pricing, minutes)])])
CATEGORY_TREE = [
    (
        "Plumbing",
        "🔧",
        "Leaks, drains, water heaters and fixtures.",
        [
            (
                "Leak repair",
                [
                    (
                        "Leak detection and repair",
                        "Find and fix hidden leaks under sinks, behind walls and in ceilings.",
                        (85, 140),
                        "HOURLY",
                        90,
                    ),
                    (
                        "Burst pipe emergency fix",
                        "Same-day repair of burst or frozen pipes.",
                        (180, 320),
                        "FIXED",
                        120,
                    ),
                ],
            ),
            (
                "Drain cleaning",
                [
                    (
                        "Kitchen drain unclogging",
                        "Clear slow or blocked kitchen drains with a professional snake.",
                        (95, 160),
                        "FIXED",
                        60,
                    ),
                    (
                        "Main sewer line cleaning",
                        "Hydro-jetting of the main line, camera inspection included.",
                        (250, 450),
                        "FIXED",
                        150,
                    ),
                ],
            ),
            (
                "Water heaters",
                [
                    (
                        "Water heater installation",
                        "Remove the old tank and install a new gas or electric heater.",
                        (450, 900),
                        "FIXED",
                        240,
                    ),
                    (
                        "Water heater flush and service",
                        "Yearly flush, anode check and thermostat tune-up.",
                        (120, 180),
                        "FIXED",
                        75,
                    ),
                ],
            ),
        ],
    ),
    (
        "Electrical",
        "💡",
        "Wiring, lighting, panels and chargers by licensed electricians.",
        [
            (
                "Wiring",
                [
                    (
                        "Outlet and switch replacement",
                        "Replace worn outlets and switches, add USB or GFCI outlets.",
                        (70, 110),
                        "HOURLY",
                        60,
                    ),
                    (
                        "Whole-room rewiring",
                        "Bring an older room up to code with new wiring and boxes.",
                        (800, 1600),
                        "FIXED",
                        480,
                    ),
                ],
            ),
            (
                "Lighting installation",
                [
                    (
                        "Ceiling light and fan installation",
                        "Mount and wire ceiling lights or fans, old fixture removed.",
                        (120, 220),
                        "FIXED",
                        90,
                    ),
                    (
                        "Recessed lighting",
                        "Plan and install LED recessed lights with dimmers.",
                        (90, 140),
                        "HOURLY",
                        240,
                    ),
                ],
            ),
            (
                "EV chargers",
                [
                    (
                        "Level 2 EV charger installation",
                        "Install a 240 V home charger with a dedicated circuit.",
                        (650, 1200),
                        "FIXED",
                        300,
                    ),
                ],
            ),
        ],
    ),
    (
        "Cleaning",
        "🧽",
        "Regular, deep and move-out cleaning by trusted cleaners and maids.",
        [
            (
                "Deep clean",
                [
                    (
                        "Whole-home deep clean",
                        "Top-to-bottom clean: baseboards, inside appliances, grout.",
                        (220, 420),
                        "FIXED",
                        300,
                    ),
                    (
                        "Kitchen deep clean",
                        "Degrease cabinets, oven, hood and backsplash.",
                        (140, 220),
                        "FIXED",
                        180,
                    ),
                ],
            ),
            (
                "Regular cleaning",
                [
                    (
                        "Weekly maid service",
                        "Dusting, vacuuming, mopping, kitchens and bathrooms.",
                        (35, 55),
                        "HOURLY",
                        180,
                    ),
                    (
                        "Apartment tidy-up",
                        "A quick two-hour refresh for small apartments.",
                        (70, 110),
                        "FIXED",
                        120,
                    ),
                ],
            ),
            (
                "Move-out cleaning",
                [
                    (
                        "Move-out clean for your deposit",
                        "Landlord-ready cleaning checklist, photos on completion.",
                        (250, 480),
                        "FIXED",
                        360,
                    ),
                ],
            ),
        ],
    ),
    (
        "Cooking",
        "🍳",
        "Private chefs and meal prep in your kitchen.",
        [
            (
                "Private chef",
                [
                    (
                        "Private dinner for up to 8",
                        "A seasonal four-course menu cooked and served at home.",
                        (320, 650),
                        "FIXED",
                        240,
                    ),
                    (
                        "Cooking class at home",
                        "Learn three dishes hands-on with a professional cook.",
                        (60, 95),
                        "HOURLY",
                        150,
                    ),
                ],
            ),
            (
                "Meal prep",
                [
                    (
                        "Weekly meal prep",
                        "Ten healthy meals cooked and packed for the week.",
                        (180, 300),
                        "FIXED",
                        240,
                    ),
                ],
            ),
        ],
    ),
    (
        "Handyman",
        "🛠️",
        "Small repairs, assembly and odd jobs around the house.",
        [
            (
                "Furniture assembly",
                [
                    (
                        "Flat-pack furniture assembly",
                        "Beds, wardrobes, desks: assembled and anchored.",
                        (45, 75),
                        "HOURLY",
                        120,
                    ),
                ],
            ),
            (
                "Small repairs",
                [
                    (
                        "Drywall patch and paint",
                        "Patch holes and cracks, sand and paint to match.",
                        (55, 85),
                        "HOURLY",
                        120,
                    ),
                    (
                        "TV wall mounting",
                        "Mount your TV, hide the cables, level guaranteed.",
                        (110, 180),
                        "FIXED",
                        90,
                    ),
                ],
            ),
        ],
    ),
    (
        "Moving",
        "📦",
        "Local moves, packing and heavy lifting.",
        [
            (
                "Local moves",
                [
                    (
                        "Two movers and a truck",
                        "Local move within the city, blankets and dollies included.",
                        (110, 170),
                        "HOURLY",
                        240,
                    ),
                ],
            ),
            (
                "Packing help",
                [
                    (
                        "Packing and unpacking service",
                        "Careful packing with supplies, labelled by room.",
                        (45, 70),
                        "HOURLY",
                        180,
                    ),
                ],
            ),
        ],
    ),
]

FIRST_NAMES = [
    "Maria",
    "James",
    "Aisha",
    "Diego",
    "Olivia",
    "Noah",
    "Priya",
    "Liam",
    "Sofia",
    "Ethan",
    "Hana",
    "Lucas",
    "Zoe",
    "Mateo",
    "Grace",
    "Omar",
    "Chloe",
    "Daniel",
    "Amara",
    "Leo",
    "Nora",
    "Samuel",
    "Elena",
    "Kwame",
    "Ruby",
    "Arjun",
    "Isla",
    "Marcus",
    "Yuki",
    "Felix",
]
LAST_NAMES = [
    "Garcia",
    "Johnson",
    "Okafor",
    "Martinez",
    "Nguyen",
    "Smith",
    "Patel",
    "Brown",
    "Rossi",
    "Kim",
    "Walker",
    "Hernandez",
    "Novak",
    "Lopez",
    "Carter",
    "Haddad",
    "Bennett",
    "Silva",
    "Mensah",
    "Young",
]
BUSINESS_SUFFIXES = {
    "Plumbing": ["Plumbing", "Pipe & Drain", "Plumbing Co."],
    "Electrical": ["Electric", "Electrical Services", "Wiring Co."],
    "Cleaning": ["Cleaning", "Home Care", "Sparkle Cleaning"],
    "Cooking": ["Kitchen", "Private Chef", "Table"],
    "Handyman": ["Handyman", "Home Repairs", "Fix-It"],
    "Moving": ["Movers", "Moving Co.", "Move & Pack"],
}
BIOS = [
    "Family-run and fully insured. We turn up on time, explain the work before we start and leave the place clean.",
    "Licensed and background-checked, with years of experience in homes and small businesses across the city.",
    "Honest prices, no surprises. Most jobs are finished in one visit and every job is guaranteed for a year.",
    "I take pride in careful, tidy work and clear communication from the first message to the last invoice.",
]

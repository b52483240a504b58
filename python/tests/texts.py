"""Test texts written for these tests: a short news story, a rewrite of it
(the facts and their order kept, most words changed), a second unrelated
story with its own rewrite, and a text on the first story's topic written
independently."""

LIBRARY = """\
Millbrook Library Reopens After Two-Year Renovation

The Millbrook public library reopened on Saturday after a renovation that took two years and cost $6.4 million. Hundreds of residents lined up on Elm Avenue before the doors opened at nine in the morning.

The old reading room has been split into a quiet study hall and a children's wing with 4,000 new picture books. A rooftop garden, funded by a private gift of $350,000, will host outdoor story hours from May to September.

Head librarian Ruth Calloway said the building had been "held together with tape and hope" before the work began. She added that the library now has 60 public computers, twice as many as before.

The town council approved the project in 2022 after a leaking roof damaged more than 1,200 rare local history volumes. Most of those volumes were restored by a conservation firm in Albany and are back on the shelves.

Not everyone is pleased. Councillor Dean Marsh, who voted against the budget, said the town should have spent the money on road repairs instead.

The library will stay open until eight in the evening on weekdays, an hour later than before the renovation.
"""

LIBRARY_REWRITE = """\
Millbrook's Renovated Library Opens Its Doors Again

After two years of building work costing $6.4 million, Millbrook's public library welcomed readers again on Saturday. Long before the nine o'clock opening, hundreds of townspeople were queuing along Elm Avenue.

What used to be the old reading room is now two spaces: a silent study hall and a wing for children stocked with 4,000 new picture books. Outdoor story hours will run from May through September in a rooftop garden paid for by a $350,000 private donation.

According to head librarian Ruth Calloway, before the renovation the building was "held together with tape and hope". The library, she said, now offers 60 computers to the public, double the previous number.

Town councillors backed the project in 2022, after water from a leaking roof harmed over 1,200 rare volumes of local history. A conservation company in Albany restored most of them, and they have returned to the shelves.

The reopening has its critics. Dean Marsh, a councillor who opposed the budget, argued that the money would have been better spent fixing roads.

On weekdays the library now closes at eight in the evening, one hour later than it did before the work.
"""

FERRY = """\
Island Ferry Service Cut After Engine Failure

The only car ferry linking Port Alden to Gull Island will run half its usual timetable for at least three weeks after one of its two engines failed on Thursday. The operator, Northway Ferries, said a replacement part must be shipped from a factory in Rotterdam.

About 900 islanders depend on the crossing to reach jobs, schools and the hospital on the mainland. From Monday the ferry will sail four times a day instead of eight, and freight lorries will be limited to the first morning crossing.

Northway's operations manager, Colin Price, said the company had chartered a small passenger boat to carry schoolchildren and hospital patients. He apologised for the disruption and promised refunds for season tickets.

The island's council called the breakdown "entirely predictable" and repeated its demand for a second vessel. The ferry, built in 1994, has broken down three times in the past two years.
"""

FERRY_REWRITE = """\
Gull Island Ferry Timetable Halved by Engine Breakdown

An engine failure on Thursday has left Port Alden's sole car ferry to Gull Island running only half its normal timetable, and the reduced service will last at least three weeks. Northway Ferries, which operates the route, said the part it needs has to come from a factory in Rotterdam.

Some 900 people on the island rely on the crossing to get to work, school and the mainland hospital. Starting Monday there will be four sailings a day rather than eight, and lorries carrying freight may only use the first crossing of the morning.

Colin Price, operations manager at Northway, said a small passenger boat had been chartered for schoolchildren and hospital patients. He said he was sorry for the disruption and that season ticket holders would get refunds.

Island councillors described the breakdown as "entirely predictable" and again called for a second ship. Built in 1994, the ferry has failed three times in the last two years.
"""

# Same topic as LIBRARY, written without it: shares names of things, not text.
LIBRARY_OTHER = """\
Libraries across the county are changing how they use their space. In Fairview, the branch on Main Street swapped half of its shelves for meeting rooms that local clubs can book for free. The head of the county library board, Omar Reyes, said visitor numbers rose by a fifth in the first year. Several towns are now planning similar changes, though some residents worry that fewer shelves will mean fewer books. Reyes said the collections are being moved to a shared storage centre, from which any book can be ordered within two days.
"""

# On nothing above.
UNRELATED = """\
To make a good loaf of rye bread, start the sourdough the night before. Mix equal weights of rye flour and warm water with a spoon of old starter, cover the bowl and leave it in a warm corner. In the morning the mixture should smell sour and show small bubbles. Knead it with the rest of the flour, salt and caraway seeds, shape a round loaf and let it rise for three hours. Bake it in a hot oven for about an hour, until the crust sounds hollow when tapped.
"""

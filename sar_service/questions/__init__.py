"""The questions inbox: what the conversation could not answer from the privacy notice,
delivered to the school, answered by email, counted daily and deleted when done with.

``service`` holds the rules (no Flask), ``views`` the staff pages, ``api`` the staff
JSON list, ``daily`` the sweep step that tells the DPOs questions are waiting.
"""

"""The culture office and administration pages: compliance dashboard, plans, bulletins, users.

Their strings are Vietnamese msgids in the `office` catalog (radio/web/i18n.py), and so are the
compliance notes of schedules/compliance/notes.py (marked there with `N_`, shown translated on
these pages); after changing them:

    pybabel extract -F babel.cfg -k _l -k lazy_gettext -w 110 -o /tmp/office.pot \
        radio/web/office templates/office schedules/compliance/notes.py
    pybabel update -w 110 -D office -i /tmp/office.pot -d translations -l en
    pybabel compile -D office -d translations -l en
"""

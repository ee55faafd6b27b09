"""The culture office and administration pages: compliance dashboard, plans, bulletins, users.

Their strings are Vietnamese msgids in the `office` catalog (radio/web/i18n.py); after changing
them:

    pybabel extract -F babel.cfg -k _l -k lazy_gettext -o /tmp/office.pot radio/web/office templates/office
    pybabel update -D office -i /tmp/office.pot -d translations -l en
    pybabel compile -D office -d translations -l en
"""

"""The resident admin form checks a new ID number as the app's form does."""

from residents.admin import ResidentAdminForm


def admin_form(resident, typed):
    data = {
        "community": resident.community_id,
        "room": resident.room_id,
        "name": resident.name,
        "population_type": resident.population_type,
        "status": resident.status,
        "new_id_number": typed,
    }
    return ResidentAdminForm(data=data, instance=resident)


def test_it_stores_a_first_generation_number_in_its_eighteen_characters(resident):
    form = admin_form(resident, "110105710923123")
    assert form.is_valid(), form.errors
    form.save()
    resident.refresh_from_db()
    assert resident.decrypted_id_number() == "110105197109231238"
    assert resident.id_number_masked == "110***********1238"


def test_it_says_a_first_generation_number_has_no_date(resident):
    form = admin_form(resident, "110105711323123")
    assert not form.is_valid() and "711323" in str(form.errors["new_id_number"])

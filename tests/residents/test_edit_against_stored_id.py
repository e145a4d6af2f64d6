"""The edit form holds a date of birth and gender to the stored ID number when the number is
left as it is, as the new-resident form holds them to a typed one."""

from datetime import date

from django.urls import reverse

from residents.models.resident import Resident
from tests.residents.test_editing import MAN_1990, form_data

NEW = reverse("residents:resident_create")


def edit(resident):
    return reverse("residents:resident_edit", args=[resident.pk])


def stored(resident, **fields):
    """王秀英 with the stored ID number of a woman born 1949-12-31, and ``fields``."""
    Resident.objects.filter(pk=resident.pk).update(**fields)
    resident.refresh_from_db()
    return resident


def test_it_refuses_a_birth_date_the_stored_id_number_contradicts(login, secretary, resident):
    resident = stored(resident, birth_date=date(1949, 12, 31), gender="F")
    response = login(secretary).post(edit(resident), form_data(name="王秀英", birth_date="1960-01-01", gender="F"))
    assert response.status_code == 400 and "1949年12月31日" in response.content.decode()
    resident.refresh_from_db()
    assert resident.birth_date == date(1949, 12, 31)


def test_it_refuses_a_gender_the_stored_id_number_contradicts(login, secretary, resident):
    resident = stored(resident, birth_date=date(1949, 12, 31), gender="F")
    response = login(secretary).post(edit(resident), form_data(name="王秀英", birth_date="1949-12-31", gender="M"))
    assert response.status_code == 400 and response.context["form"].errors["gender"]
    resident.refresh_from_db()
    assert resident.gender == "F"


def test_it_saves_a_birth_date_and_gender_that_agree_with_the_stored_id_number(login, secretary, resident):
    resident = stored(resident, birth_date=None, gender="")
    response = login(secretary).post(edit(resident), form_data(name="王秀英", birth_date="1949-12-31", gender="F"))
    assert response.status_code == 302
    resident.refresh_from_db()
    assert (resident.birth_date, resident.gender) == (date(1949, 12, 31), "F")


def test_it_fills_an_empty_birth_date_and_gender_from_the_stored_id_number(login, secretary, resident):
    resident = stored(resident, birth_date=None, gender="")
    assert login(secretary).post(edit(resident), form_data(name="王秀英")).status_code == 302
    resident.refresh_from_db()
    assert (resident.birth_date, resident.gender) == (date(1949, 12, 31), "F")


def test_it_still_saves_other_changes_to_a_record_imported_with_another_birth_date(login, secretary, resident):
    # Not this edit's doing: correcting the phone of such a record is not held up by it.
    resident = stored(resident, birth_date=date(1950, 1, 1), gender="F")
    data = form_data(name="王秀英", birth_date="1950-01-01", gender="F", new_phone="13900001111")
    assert login(secretary).post(edit(resident), data).status_code == 302
    resident.refresh_from_db()
    assert resident.phone == "13900001111"


def test_a_new_id_number_typed_in_is_checked_instead_of_the_stored_one(login, secretary, resident):
    resident = stored(resident, birth_date=date(1949, 12, 31), gender="F")
    data = form_data(name="王秀英", id_number=MAN_1990, birth_date="1990-03-07", gender="M")
    assert login(secretary).post(edit(resident), data).status_code == 302


def test_the_new_resident_form_refuses_a_gender_the_id_number_contradicts(login, staff, room):
    response = login(staff).post(NEW, form_data(id_number=MAN_1990, gender="F"))
    assert response.status_code == 400 and response.context["form"].errors["gender"]

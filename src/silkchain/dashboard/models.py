"""Request bodies of the JSON API (pydantic), each bounded in size and range."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from silkchain.dashboard.service import MAX_COUNTRIES


class MeasureRequest(BaseModel):
    """What to compute: a measure for countries (or a group) over a range of years."""

    model_config = ConfigDict(extra="forbid")
    dataset: str = Field("wiod2013", min_length=1, max_length=64)
    start: int | None = Field(None, ge=1900, le=2100)
    end: int | None = Field(None, ge=1900, le=2100)
    countries: list[Annotated[str, Field(max_length=32)]] = Field(default_factory=list,
                                                                  max_length=MAX_COUNTRIES)
    group: str | None = Field(None, max_length=64, description="A country group, drawn as "
                              "one line (its members' sum, or export-weighted mean for ratios).")
    members: bool = Field(False, description="Also draw the group's members one by one.")
    measure: str = Field("totals", min_length=1, max_length=64)
    variable: str | None = Field(None, max_length=64)


class BriRequest(BaseModel):
    """A Belt and Road answer for a group over a range of years."""

    model_config = ConfigDict(extra="forbid")
    dataset: str = Field("wiod2013", min_length=1, max_length=64)
    start: int | None = Field(None, ge=1900, le=2100)
    end: int | None = Field(None, ge=1900, le=2100)
    group: str = Field("bri64", min_length=1, max_length=64)
    answer: str = Field("value_capture", min_length=1, max_length=64)


class ScenarioRequest(BaseModel):
    """A scenario run on one year of a dataset; ``scenario`` is a scenario specification
    as accepted by ``silkchain.scenarios.Scenario.from_dict``."""

    model_config = ConfigDict(extra="forbid")
    dataset: str = Field("wiod2013", min_length=1, max_length=64)
    year: int = Field(..., ge=1900, le=2100)
    scenario: dict[str, Any] | None = Field(None, description="Scenario specification "
                                            "(without 'table').")
    form: dict[str, Annotated[str, Field(max_length=64)]] | None = Field(
        None, max_length=12, description="The page's form fields: kind, from, to, sector, "
                                         "share, technology.")


class SdaRequest(BaseModel):
    """A structural decomposition between two years of a dataset, for a group's members."""

    model_config = ConfigDict(extra="forbid")
    dataset: str = Field("wiod2013", min_length=1, max_length=64)
    start: int = Field(..., ge=1900, le=2100)
    end: int = Field(..., ge=1900, le=2100)
    group: str = Field("bri64", min_length=1, max_length=64)
    measure: str = Field("dva_share", min_length=1, max_length=64)

# As cases.dates.DAY_FORMAT: "17 August 2018", not Django's "Aug. 17, 2018".
DATE_FORMAT = "j E Y"
DATETIME_FORMAT = "j E Y, H:i"
SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y, H:i"

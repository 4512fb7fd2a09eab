"""OPD templates: one plain .xlsx per active OPD for a period (``indeks-opd templat``, *Buat Templat*)."""

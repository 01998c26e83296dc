"""SAR Service: data-protection requests for schools in England."""
